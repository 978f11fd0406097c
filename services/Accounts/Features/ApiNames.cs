using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Accounts.Features;

/// <summary>Enum values as the API spells them (snake_case).</summary>
public static class ApiNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => TenantDbContext.SnakeCase(value.ToString());
}
