using System.Security.Cryptography;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Trusts.Create;

/// <summary>The first trust admin: the person the trust's other admins and API keys start from.</summary>
public sealed record FirstAdminRequest(string DisplayName, string Email);

/// <summary>A trust to onboard and its first trust admin.</summary>
public sealed record CreateTrustRequest(string Name, FirstAdminRequest FirstAdmin);

public sealed class CreateTrustCommand
{
    [FromBody]
    public CreateTrustRequest Body { get; init; } = null!;
}

/// <summary>A platform operator onboards a trust together with its first trust admin.</summary>
public sealed class CreateTrust(PolicyDbContext db, TenantContext tenant, TimeProvider time)
    : PlatformEndpoint<CreateTrustCommand, Results<Created<CreatedTrustResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/trusts");
        Allow(RoleSets.PlatformOperators);
        Document("Trusts", "Onboard a trust with its first trust admin",
            "Platform operators only (a token without a trust): creates the tenant and registers its first trust admin, who then adds the schools, " +
            "the baseline and the API keys. Trust users and API keys are refused (403). With an Idempotency-Key, a retry returns the trust created " +
            "the first time; the same key with another body is a 422.");
        Problems(409, 422);
        PreProcessor<ActForTheNewTrust>(); // before the key's claim, which is kept in the trust it creates
        Idempotent("Send one per trust to onboard: a retry with it returns the trust created the first time.");
        Summary(s =>
        {
            s.ExampleRequest = new CreateTrustRequest("Aspire Educational Trust", new FirstAdminRequest("AET chief executive", "ceo@aet.example"));
        });
    }

    public override async Task<Results<Created<CreatedTrustResponse>, ProblemHttpResult>> ExecuteAsync(CreateTrustCommand command, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var trustId = tenant.TrustId!.Value;
        var request = command.Body;
        var trust = new TrustOrganisation { TrustId = trustId, Name = request.Name.Trim(), CreatedAt = now };
        var admin = new TrustMember
        {
            Id = Guid.CreateVersion7(now),
            TrustId = trustId,
            DisplayName = request.FirstAdmin.DisplayName.Trim(),
            Email = request.FirstAdmin.Email.Trim().ToLowerInvariant(),
            Roles = [Role.TrustAdmin],
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Trusts.Add(trust);
        db.TrustMembers.Add(admin);
        // The first admin holds the trust admin post from today; they link their sign-in with PUT /v1/members/{id}.
        var post = new Model.Appointment
        {
            Id = Guid.CreateVersion7(now), TrustId = trustId, MemberId = admin.Id, Role = Role.TrustAdmin,
            StartsOn = PlatformClock.LocalDate(now, Schools.SchoolRequest.DefaultTimeZone), Version = 1, CreatedAt = now, CreatedBy = Caller.Subject,
        };
        db.Appointments.Add(post);
        People.PeopleEvents.Member(db, admin, now);
        People.PeopleEvents.Started(db, post, now);
        await db.SaveChangesAsync(ct);

        return TypedResults.Created($"/v1/trusts/{trustId}", new CreatedTrustResponse(
            trustId, trust.Name, now, new TrustMemberResponse(admin.Id, admin.DisplayName, admin.Email, admin.Roles)));
    }
}

/// <summary>
/// The operator belongs to no trust; this unit of work (and the Idempotency-Key's claim) acts for the trust it creates.
/// A keyed create derives the trust id from the operator and the key, so that a retry acts for the same trust and finds
/// the first request's claim (claims are kept per trust, and an operator has none of its own).
/// </summary>
// REVIEW: the Idempotency-Key claim is keyed by the caller's trust; a trust-less caller creating a tenant needs this workaround.
public sealed class ActForTheNewTrust : IPreProcessor<CreateTrustCommand>
{
    public Task PreProcessAsync(IPreProcessorContext<CreateTrustCommand> context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[IdempotencyClaim.HeaderName].ToString();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        http.RequestServices.GetRequiredService<TenantContext>().Set(key.Length == 0 ? Guid.CreateVersion7(now) : KeyedTrustId(http.Principal().Subject, key));
        return Task.CompletedTask;
    }

    private static Guid KeyedTrustId(string operatorSubject, string idempotencyKey)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{nameof(CreateTrust)}|{operatorSubject}|{idempotencyKey}"))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8: a name-based id of our own.
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

public sealed class CreateTrustValidator : Validator<CreateTrustCommand>
{
    public CreateTrustValidator()
    {
        RuleFor(x => x.Body).SetValidator(new CreateTrustRequestRules());
    }
}

public sealed class CreateTrustRequestRules : AbstractValidator<CreateTrustRequest>
{
    public CreateTrustRequestRules()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Required.").MaximumLength(200);
        // A missing or null firstAdmin is refused by the JSON reader already (naming the field).
        RuleFor(x => x.FirstAdmin).SetValidator(new FirstAdminRequestRules());
    }
}

public sealed class FirstAdminRequestRules : AbstractValidator<FirstAdminRequest>
{
    public FirstAdminRequestRules()
    {
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Required.").MaximumLength(320)
            .Must(EmailAddress.IsValid).WithMessage("Not an email address.");
    }
}

internal static class EmailAddress
{
    public static bool IsValid(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }
}
