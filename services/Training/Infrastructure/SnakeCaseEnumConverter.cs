using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Training.Infrastructure;

/// <summary>
/// Stores an enum as the snake_case text the column always held (<c>succeeded_with_errors</c>, <c>pupils</c>), the same
/// names the API writes, so turning a status string into an enum needs no data migration.
/// </summary>
public sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(v => Names.ToText(v), s => Names.FromText(s))
    where T : struct, Enum
{
    private static class Names
    {
        private static readonly Dictionary<T, string> Text = Enum.GetValues<T>().ToDictionary(v => v, v => TenantDbContext.SnakeCase(v.ToString()));
        private static readonly Dictionary<string, T> Values = Text.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static string ToText(T value) => Text[value];

        public static T FromText(string text) => Values[text];
    }
}
