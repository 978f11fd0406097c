namespace Trust.Platform.Accounts.Features;

public static class Filters
{
    /// <summary>Parses a snake_case filter value (<c>at_risk</c>) into its enum; integers are not accepted.</summary>
    public static bool TryParse<TEnum>(string value, out TEnum parsed)
        where TEnum : struct, Enum
    {
        parsed = default;
        var compact = value.Replace("_", "", StringComparison.Ordinal);
        return compact.Length > 0 && compact.All(char.IsAsciiLetter) && Enum.TryParse(compact, ignoreCase: true, out parsed);
    }
}
