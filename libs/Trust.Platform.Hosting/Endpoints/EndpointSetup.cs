using System.Reflection;
using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NSwag.AspNetCore;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>FastEndpoints as every service uses it: the service's own endpoints, the platform's JSON rules and problem details.</summary>
public static class EndpointSetup
{
    public static IServiceCollection AddPlatformEndpoints(this IServiceCollection services, Assembly assembly) =>
        services.AddFastEndpoints(o =>
        {
            // The service's endpoints and validators, and the platform's shared validators (paging).
            o.Assemblies = [assembly, typeof(EndpointSetup).Assembly];
            o.DisableAutoDiscovery = true;
        });

    /// <summary>Maps the endpoints (after authentication, the deny-by-default check and authorisation) and serves the contract.</summary>
    public static WebApplication UsePlatformEndpoints(this WebApplication app)
    {
        app.UseFastEndpoints(c =>
        {
            // The same JSON as ASP.NET Core's own (web defaults plus the platform's strictness): FastEndpoints reads bodies
            // with these options, the contract is generated from them, and typed results write with ASP.NET Core's.
            c.Serializer.Options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            c.Serializer.Options.PropertyNameCaseInsensitive = true;
            c.Serializer.Options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString;
            ServiceDefaults.ConfigureJson(c.Serializer.Options);
            c.Endpoints.ShortNames = true;
            // Unreadable JSON (an unknown field, a wrong type) reaches the platform's exception handler, which names the field.
            c.Binding.JsonExceptionTransformer = null;
            c.Binding.UsePropertyNamingPolicy = true;
            c.Validation.UsePropertyNamingPolicy = true;
            c.Errors.ResponseBuilder = Problem;
        });
        // After FastEndpoints has its serializer options: the contract is generated with the same JSON names and enums.
        app.UseOpenApi(o =>
        {
            o.Path = "/openapi/{documentName}.json";
            o.PostProcess = (document, _) => Contract.RelativeServer(document);
        });
        return app;
    }

    /// <summary>
    /// A validator's failures as the same 400 problem every other field error gets. A request whose body is bound to a
    /// <c>Body</c> property (because route values sit beside it) reports the body's fields without that prefix.
    /// </summary>
    private static object Problem(List<ValidationFailure> failures, HttpContext context, int status)
    {
        var errors = new FieldErrors();
        foreach (var failure in failures)
        {
            errors.Add(FieldName(failure.PropertyName), failure.ErrorMessage);
        }

        var problem = new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            Status = status,
            Title = "The request is not valid",
            Detail = errors.Detail,
        };
        ProblemDetailsSetup.Customize(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        return problem;
    }

    private static string FieldName(string property)
    {
        var name = property.StartsWith("body.", StringComparison.OrdinalIgnoreCase) ? property[5..] : property;
        return string.Join('.', name.Split('.').Select(part => JsonNamingPolicy.CamelCase.ConvertName(part)));
    }
}
