namespace Trust.Platform.Console.Forms;

/// <summary>
/// The model of <c>_Field</c>: one labelled GOV.UK form field (an input of <paramref name="Type"/>, or a textarea when
/// <paramref name="Rows"/> is given) with its hint, its error message from <paramref name="Errors"/> and the value typed.
/// </summary>
public sealed record FormField(
    string Field, string Label, string? Value, IReadOnlyList<(string Field, string Message)> Errors, string? Hint = null, string Type = "text",
    string Width = "govuk-input--width-20", int? Rows = null)
{
    public string? Error => Errors.Where(e => e.Field == Field).Select(e => e.Message).FirstOrDefault();

    public string HintId => Field + "-hint";

    /// <summary>The ids that describe the field: its hint and its error, when it has them.</summary>
    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : HintId, Error is null ? null : Field + "-error" }.OfType<string>()) is { Length: > 0 } ids ? ids : null;
}
