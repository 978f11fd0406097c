using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Accounts;
using Trust.Platform.Client.Accounts.Models;
using Trust.Platform.Console.Cases;

namespace Trust.Platform.Console.Gateway;

/// <summary>An official account as the console's forms and pages name it ("Instagram: @oldbasford"), with its platform's code.</summary>
public sealed record OfficialAccount(Guid Id, string Name, string Platform);

/// <summary>The console's one way of naming an official account (the Accounts register) instead of showing its id.</summary>
public static class OfficialAccounts
{
    /// <summary>
    /// The school's open accounts that this person may see in the register (a school's leaders see all of them, a member of
    /// staff the ones they administer), by name; null when Accounts refuses them the register.
    /// </summary>
    public static async Task<IReadOnlyList<OfficialAccount>?> OfSchoolAsync(AccountsClient accounts, Guid schoolId, CancellationToken ct)
    {
        try
        {
            var (items, _) = await Cursors.ReadAsync(async cursor =>
            {
                var page = await accounts.V1.Accounts.GetAsync(c =>
                {
                    c.QueryParameters.SchoolId = schoolId;
                    c.QueryParameters.Limit = Cursors.LargestPage;
                    c.QueryParameters.Cursor = cursor;
                }, ct);
                return (page?.Items, page?.NextCursor);
            });
            return [.. items.Where(a => a.Id is not null && a.Status != AccountStatus.Closed).Select(Named).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
        }
        catch (ApiException refused) when (refused.ResponseStatusCode is 403 or 404)
        {
            return null;
        }
    }

    /// <summary>One account's name; null when this person may not see it in the register (or it is not the trust's).</summary>
    public static async Task<string?> NameAsync(AccountsClient accounts, Guid id, CancellationToken ct)
    {
        try
        {
            return await accounts.V1.Accounts[id].GetAsync(cancellationToken: ct) is { Id: not null } account ? Named(account).Name : null;
        }
        catch (ApiException refused) when (refused.ResponseStatusCode is 403 or 404)
        {
            return null;
        }
    }

    private static OfficialAccount Named(AccountResponse a) =>
        new(a.Id!.Value, $"{CaseText.Words(a.Platform)}: {a.Handle}{(a.Status == AccountStatus.Closed ? " (closed)" : "")}", a.Platform ?? "");
}
