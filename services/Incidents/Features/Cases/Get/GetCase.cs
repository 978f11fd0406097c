using Trust.Platform.Hosting.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using NJsonSchema;
using NJsonSchema.Annotations;
using NJsonSchema.Generation;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.Get;

/// <summary>The whole case for those who may read it (audited when restricted); the receipt for its reporter; 404 for anyone else.</summary>
public sealed class GetCase(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<CaseRoute, Results<Ok<CaseResponse>, Ok<CaseReceipt>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/cases/{id:guid}");
        Allow(RoleSets.AnyoneInSchool, Scope.IncidentsWrite);
        Document("Cases", "Read a case",
            "Those the case rules let read it get the whole case with its ETag (a read of a restricted case is audited); its reporter, a person or the " +
            "integration that filed it, gets the receipt only (id, type, status, receivedAt). The two are told apart by `view` (\"full\" or \"receipt\"). The case's subject, and anyone else, gets a 404.");
        Description(b => b.Produces<CaseOrReceipt>(200, "application/json"));
    }

    public override async Task<Results<Ok<CaseResponse>, Ok<CaseReceipt>, NotFound>> ExecuteAsync(CaseRoute route, CancellationToken ct)
    {
        var (c, view, _) = await CaseAccess.LoadAsync(db, Caller, route.Id, ct);
        switch (view)
        {
            case CaseView.Full:
                if (c!.Restricted)
                {
                    CaseAccess.Audit(db, Caller, c, "read", time.GetUtcNow());
                    await db.SaveChangesAsync(ct);
                }

                ETags.Set(HttpContext.Response, c.Version);
                return TypedResults.Ok(CaseMapping.Full(c, await CaseAccess.EscalationsAsync(db, c.Id, ct)));
            case CaseView.Receipt:
                return TypedResults.Ok(CaseMapping.Receipt(c!));
            default:
                return TypedResults.NotFound();
        }
    }
}

/// <summary>
/// The contract's name for "the whole case, or the receipt when the caller is only its reporter": one of the two, told apart
/// by <c>view</c> ("full" or "receipt"), so that a generated client reads each answer as the type it is.
/// </summary>
[JsonSchemaProcessor(typeof(CaseOrReceiptSchema))]
public sealed class CaseOrReceipt;

public sealed class CaseOrReceiptSchema : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var schema = context.Schema;
        schema.Type = JsonObjectType.None;
        schema.Properties.Clear();
        schema.AllowAdditionalProperties = true;
        var discriminator = new OpenApiDiscriminator { PropertyName = "view" };
        foreach (var (type, view) in new[] { (typeof(CaseResponse), CaseViews.Full), (typeof(CaseReceipt), CaseViews.Receipt) })
        {
            var target = context.Generator.Generate(type, context.Resolver);
            // Each side names its one value, so that an answer matches exactly one side.
            var property = target.ActualSchema.Properties["view"];
            property.Enumeration.Clear();
            property.Enumeration.Add(view);
            if (!target.ActualSchema.RequiredProperties.Contains("view"))
            {
                target.ActualSchema.RequiredProperties.Add("view");
            }

            schema.OneOf.Add(new JsonSchema { Reference = target });
            discriminator.Mapping[view] = new JsonSchema { Reference = target };
        }

        schema.DiscriminatorObject = discriminator;
    }
}
