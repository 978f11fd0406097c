using System.Reflection;
using System.Text.Json.Serialization;
using NJsonSchema;
using NJsonSchema.Generation;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// A body's constructor parameters with no default value that may not be null are required (ServiceDefaults.ConfigureJson:
/// <c>RespectRequiredConstructorParameters</c>, less the nullable ones), so a request without one is refused; an answer always
/// carries them. The contract says so: NSwag alone marked only what a validator rule demands, so <c>approvedOn</c> looked
/// optional to an integrator until the 400 said otherwise. A field that may be null may also be absent, in a request and in
/// the contract. The constructor is the one System.Text.Json binds: the one marked
/// <c>[JsonConstructor]</c>, or else the only public one when the type has no public parameterless constructor.
/// </summary>
public sealed class RequiredConstructorParameters : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var schema = context.Schema;
        if (schema.Type != JsonObjectType.Object || schema.Properties.Count == 0 || BoundConstructor(context.ContextualType.Type) is not { } constructor)
        {
            return;
        }

        var nullability = new NullabilityInfoContext();
        foreach (var parameter in constructor.GetParameters().Where(p => !p.HasDefaultValue && !p.IsOptional))
        {
            if (nullability.Create(parameter).WriteState != NullabilityState.NotNull)
            {
                continue; // May be null, so may be left out (ServiceDefaults.ConfigureJson).
            }

            var property = schema.Properties.Keys.FirstOrDefault(k => string.Equals(k, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (property is not null && !schema.RequiredProperties.Contains(property))
            {
                schema.RequiredProperties.Add(property);
            }
        }
    }

    public static ConstructorInfo? BoundConstructor(Type type)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        var marked = constructors.FirstOrDefault(c => c.IsDefined(typeof(JsonConstructorAttribute), inherit: false));
        if (marked is not null)
        {
            return marked;
        }

        return constructors.Length == 1 && constructors[0].GetParameters().Length > 0 ? constructors[0] : null;
    }
}
