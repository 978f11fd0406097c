namespace Trust.Platform.Accounts.Rules;

/// <summary>
/// 004: accounts are named after the department or activity, "not a staff member's name". We can only
/// check the negative: a handle that contains the surname (4+ letters) or first name + surname of a
/// current member of staff of the school is refused.
/// </summary>
public static class NamingConvention
{
    public static bool LooksLikeAPersonsName(string handle, IEnumerable<string> staffNames)
    {
        var compact = Letters(handle);
        foreach (var name in staffNames)
        {
            var parts = name.Split([' ', '-', '\''], StringSplitOptions.RemoveEmptyEntries).Select(Letters).Where(p => p.Length > 0).ToList();
            if (parts.Count == 0)
            {
                continue;
            }

            var surname = parts[^1];
            if (surname.Length >= 4 && compact.Contains(surname, StringComparison.Ordinal))
            {
                return true;
            }

            if (parts.Count >= 2 && compact.Contains(parts[0] + surname, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Letters(string value) => new(value.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
}
