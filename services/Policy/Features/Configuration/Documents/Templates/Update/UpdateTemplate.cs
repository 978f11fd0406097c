using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Documents;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Documents.Templates.Update;

/// <param name="Markdown">The whole template: markers <c>&lt;!-- section: id --&gt;</c>, <c>&lt;!-- section: id amendable --&gt;</c> and <c>&lt;!-- additions: id --&gt;</c>; placeholders <c>{{setting.key}}</c> (or <c>{{setting.key?}}</c>: the line is left out when unset), <c>{{school.name}}</c>, <c>{{trust.name}}</c>.</param>
/// <param name="Name">A name for the trust's copy; the built-in template's name when absent.</param>
public sealed record UpdateTemplateRequest(string Markdown, string? Name = null);

public sealed class UpdateTemplateCommand
{
    public string Key { get; init; } = "";

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public UpdateTemplateRequest Body { get; init; } = null!;
}

/// <summary>The trust saves its own copy of a template of the library.</summary>
public sealed class UpdateTemplate(PolicyDbContext db, TimeProvider time) : PlatformEndpoint<UpdateTemplateCommand, Results<Ok<DocumentTemplateResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/policy/templates/{key}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy documents", "Replace a document template",
            "Saves the trust's own copy of a template of the library (a key the library does not have is a 404). A template without sections, with a " +
            "section twice, with a comment that looks like a marker but is not one, with text before the first marker or in an additions point, or with a " +
            "placeholder that names no setting of the catalogue is a 400 on `markdown`. Send the template's ETag in If-Match (0 for the built-in text; " +
            "428 without, 412 when old). Every school whose `document.template` names it is rendered from it from then on; a school's own text stays " +
            "with its section.");
        Problems(412, 428);
    }

    public override async Task<Results<Ok<DocumentTemplateResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(UpdateTemplateCommand command, CancellationToken ct)
    {
        if (TemplateLibrary.Find(command.Key) is not { } builtIn)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, ct);
        var own = await db.DocumentTemplates.SingleOrDefaultAsync(t => t.Key == command.Key, ct);
        if (ETags.Check(command.IfMatch, own?.Version ?? 0) is { } precondition)
        {
            return precondition;
        }

        if (own is null)
        {
            own = new DocumentTemplate { TrustId = policy.TrustId, Key = builtIn.Key, Kind = TemplateLibrary.KindName(builtIn.Kind) };
            db.DocumentTemplates.Add(own);
        }

        own.Name = command.Body.Name ?? builtIn.Name;
        own.Markdown = command.Body.Markdown;
        own.Version++;
        own.UpdatedAt = now;
        own.UpdatedBy = Caller.Subject;
        await db.SaveChangesAsync(ct);
        ETags.Set(HttpContext.Response, own.Version);
        return TypedResults.Ok(DocumentTemplateResponse.From(new LibraryTemplate(own.Key, builtIn.Kind, own.Name, own.Markdown, own.Version, true)));
    }
}

public sealed class UpdateTemplateValidator : Validator<UpdateTemplateCommand>
{
    public UpdateTemplateValidator()
    {
        RuleFor(x => x.Key).NotEmpty().MaximumLength(50).Matches(TemplateKeyRules.Pattern).WithMessage(TemplateKeyRules.Message);
        RuleFor(x => x.IfMatch).MaximumLength(100);
        RuleFor(x => x.Body).SetValidator(new UpdateTemplateRequestRules());
    }
}

public sealed class UpdateTemplateRequestRules : AbstractValidator<UpdateTemplateRequest>
{
    private static readonly HashSet<string> Keys = SettingCatalogue.ByKey.Keys.ToHashSet(StringComparer.Ordinal);

    public UpdateTemplateRequestRules()
    {
        RuleFor(x => x.Name).MaximumLength(200).Must(n => n is null || n.Trim().Length > 0).WithMessage("Leave it out for the built-in name, or give one.");
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
