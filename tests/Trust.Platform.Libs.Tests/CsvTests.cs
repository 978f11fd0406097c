using System.Globalization;
using CsvHelper;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class CsvTests
{
    private static List<string> RoundTrip(params string[] cells)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = Csv.CreateWriter(text))
        {
            foreach (var cell in cells)
            {
                writer.WriteField(cell);
            }

            writer.NextRecord();
        }

        using var reader = new CsvReader(new StringReader(text.ToString()), CultureInfo.InvariantCulture);
        reader.Read();
        return Enumerable.Range(0, cells.Length).Select(i => reader.GetField(i)!).ToList();
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")")]
    [InlineData("+1+1")]
    [InlineData("-1+1")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void A_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_with_a_leading_quote(string cell) =>
        RoundTrip(cell).Should().Equal("'" + cell);

    [Fact]
    public void Ordinary_cells_and_formula_characters_inside_a_cell_are_written_as_they_are() =>
        RoundTrip("Mellers Primary School", "O'Brien", "Smith & Jones, a=b", "2026-11-01", "").Should()
            .Equal("Mellers Primary School", "O'Brien", "Smith & Jones, a=b", "2026-11-01", "");
}
