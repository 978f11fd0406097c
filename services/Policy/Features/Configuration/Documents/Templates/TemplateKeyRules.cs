namespace Trust.Platform.Policy.Features.Configuration.Documents.Templates;

internal static class TemplateKeyRules
{
    public const string Pattern = "^[a-z0-9-]{1,50}$";

    public const string Message = "A template key: lower-case letters, digits and '-', at most 50 (GET /v1/policy/templates lists them).";
}
