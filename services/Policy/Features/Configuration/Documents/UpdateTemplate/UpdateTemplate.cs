using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Documents.UpdateTemplate;

/// <param name="Markdown">The whole template: sections marked <c>&lt;!-- section: id --&gt;</c> (add <c>amendable</c> for a school's own text), placeholders <c>{{setting.key}}</c>, <c>{{school.name}}</c>, <c>{{trust.name}}</c>.</param>
public sealed record UpdateTemplateRequest(string Markdown);

public sealed class UpdateTemplateCommand
{
    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public UpdateTemplateRequest Body { get; init; } = null!;
}

/// <summary>The trust replaces its template.</summary>
public sealed class UpdateTemplate(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<UpdateTemplateCommand, Results<Ok<TemplateResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/policy/template");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy documents", "Replace the trust's policy template",
            "A template without sections, with a section twice or with a placeholder that names no setting of the catalogue is a 400 on `markdown`. " +
            "Send the template's ETag in If-Match (428 without, 412 when old). Every school's document is rendered from it from then on; " +
            "a school's amended text stays with its section.");
        Problems(412, 428);
    }

    public override async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> ExecuteAsync(UpdateTemplateCommand command, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, ct);
        if (ETags.Check(command.IfMatch, policy.TemplateVersion) is { } precondition)
        {
            return precondition;
        }

        policy.Template = command.Body.Markdown;
        policy.TemplateVersion++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, policy.TemplateVersion);
        return TypedResults.Ok(TemplateResponse.From(policy.TemplateVersion, policy.Template));
    }
}

public sealed class UpdateTemplateValidator : Validator<UpdateTemplateCommand>
{
    public UpdateTemplateValidator()
    {
        RuleFor(x => x.IfMatch).MaximumLength(100);
        RuleFor(x => x.Body).SetValidator(new UpdateTemplateRequestRules());
    }
}

public sealed class UpdateTemplateRequestRules : AbstractValidator<UpdateTemplateRequest>
{
    private static readonly HashSet<string> Keys = SettingCatalogue.ByKey.Keys.ToHashSet(StringComparer.Ordinal);

    public UpdateTemplateRequestRules()
    {
        RuleFor(x => x.Markdown).NotEmpty().WithMessage("Required.").MaximumLength(500_000);
        RuleFor(x => x.Markdown).Custom((markdown, context) =>
        {
            foreach (var problem in string.IsNullOrWhiteSpace(markdown) ? [] : PolicyDocument.Validate(markdown, Keys))
            {
                context.AddFailure(problem);
            }
        });
    }
}
