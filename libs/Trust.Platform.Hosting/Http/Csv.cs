using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The one way the platform writes CSV. A spreadsheet treats a cell that starts with <c>=</c>, <c>+</c>,
/// <c>-</c>, <c>@</c>, a tab or a carriage return as a formula, so such a cell is written with a leading
/// single quote (OWASP, "CSV Injection"); quoting and escaping follow RFC 4180.
/// </summary>
public static class Csv
{
    public static readonly char[] FormulaTriggers = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>A writer over <paramref name="writer"/> that neutralises formula cells in every field, header included.</summary>
    public static CsvWriter CreateWriter(TextWriter writer) => new(writer, Configuration());

    /// <summary>Numbers go through the same check: the platform exports no negative numbers, and a quoted one would read as text.</summary>
    public static CsvConfiguration Configuration() => new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = FormulaTriggers,
        InjectionEscapeCharacter = '\'',
    };
}
