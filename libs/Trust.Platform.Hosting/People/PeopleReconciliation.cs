using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.People;

/// <summary>A member as Policy holds it now, in the change feed (what MemberChanged carries).</summary>
public sealed record MemberState(Guid TrustId, Guid MemberId, string DisplayName, string Email, string? Subject, string? Issuer, Guid? StaffId, int Version);

/// <summary>An appointment as Policy holds it now, in the change feed; <see cref="EndedAt"/> set once it has ended.</summary>
public sealed record AppointmentState(
    Guid TrustId, Guid AppointmentId, Guid MemberId, Guid? SchoolId, string Role, string? JobTitle, DateOnly StartsOn, DateOnly? EndsOn,
    DateTimeOffset? EndedAt, string? EndReason, int Version);

/// <summary>One page of Policy's people change feed, in commit order; <see cref="Cursor"/> is where the next call starts.</summary>
public sealed record PeopleChanges(IReadOnlyList<MemberState> Members, IReadOnlyList<AppointmentState> Appointments, string Cursor, bool More);

/// <summary>
/// A replica's second way to hear about members and appointments (as <see cref="ApiKeyReconciler"/> for keys, docs/adr/0006):
/// at start and every <see cref="ApiKeyOptions.ReconcileEvery"/> it reads Policy's people feed from where it stopped and
/// applies each state with the events' rules, so an ended post whose event was lost still ends here.
/// </summary>
public sealed partial class PeopleReconciler(
    IHttpClientFactory clients,
    ServiceCredentials credentials,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> database,
    IOptions<ApiKeyOptions> options,
    MemberGrantCache grants,
    TimeProvider time,
    ILogger<PeopleReconciler> logger) : BackgroundService
{
    public const string HttpClientName = "policy-people";
    public const int PageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string? _cursor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without Policy's address (Development only, ApiKeyReconciler refuses it elsewhere) the events are the only path.
        if (options.Value.PolicyUrl is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ReconcileEvery, time);
        do
        {
            try
            {
                var applied = await ReconcileAsync(stoppingToken);
                if (applied > 0)
                {
                    Reconciled(logger, applied);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Policy down: roles keep coming from the replica, and the next tick retries.
                Failed(logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        var applied = 0;
        PeopleChanges page;
        do
        {
            var query = $"v1/people/changes?limit={PageSize}" + (_cursor is null ? "" : "&after=" + Uri.EscapeDataString(_cursor));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Value.PolicyUrl!, query));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await credentials.TokenAsync(cancellationToken));
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Policy answered {(int)response.StatusCode} to the people change feed.", null, response.StatusCode);
            }

            page = (await response.Content.ReadFromJsonAsync<PeopleChanges>(Json, cancellationToken))!;
            await ApplyAsync(page, cancellationToken);
            applied += page.Members.Count + page.Appointments.Count;
            _cursor = page.Cursor;
        }
        while (page.More);

        return applied;
    }

    private async Task ApplyAsync(PeopleChanges page, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var schema = database.Value.Schema;
        foreach (var trust in page.Members.Select(m => m.TrustId).Concat(page.Appointments.Select(a => a.TrustId)).Distinct())
        {
            await using var connection = await TenantSession.OpenAsync(dataSource, trust, ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            foreach (var m in page.Members.Where(m => m.TrustId == trust))
            {
                await PeopleReplica.MemberAsync(connection, transaction, schema,
                    new MemberChanged(Guid.Empty, m.TrustId, now, m.MemberId, m.DisplayName, m.Email, m.Subject, m.Issuer, m.StaffId, m.Version), ct);
            }

            foreach (var a in page.Appointments.Where(a => a.TrustId == trust))
            {
                await PeopleReplica.StartedAsync(connection, transaction, schema,
                    new AppointmentStarted(Guid.Empty, a.TrustId, now, a.AppointmentId, a.MemberId, a.SchoolId, a.Role, a.JobTitle, a.StartsOn, a.EndsOn, a.Version), ct);
                if (a.EndedAt is { } endedAt)
                {
                    await PeopleReplica.EndedAsync(connection, transaction, schema,
                        new AppointmentEnded(Guid.Empty, a.TrustId, now, a.AppointmentId, a.MemberId, a.SchoolId, a.Role, endedAt, a.EndReason ?? "ended"), ct);
                }
            }

            await transaction.CommitAsync(ct);
            grants.Forget(trust);
        }
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Reconciled {Count} member and appointment state(s) with Policy")]
    private static partial void Reconciled(ILogger logger, int count);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "People reconciliation with Policy failed ({ErrorType}): {Reason}")]
    private static partial void Failed(ILogger logger, string errorType, string reason);
}

public static class PeopleReconciliationSetup
{
    public static IServiceCollection AddPeopleReconciliation(this IServiceCollection services)
    {
        services.AddHttpClient(PeopleReconciler.HttpClientName).AddPlatformResilience();
        services.AddHostedService<PeopleReconciler>();
        return services;
    }
}
