// EnumMember names are what the contract's examples are written with (NSwag serialises them); the API writes the same
// snake_case names through its enum converter.
using System.Runtime.Serialization;

namespace Trust.Platform.Training.Domain.Roster;

/// <summary>How a roster import ended: every row applied, or the valid rows applied and the others reported.</summary>
public enum RosterJobStatus
{
    [EnumMember(Value = "succeeded")]
    Succeeded,
    [EnumMember(Value = "succeeded_with_errors")]
    SucceededWithErrors,
}

/// <summary>The body format an MIS sent the roster in.</summary>
public enum RosterFormat
{
    [EnumMember(Value = "json")]
    Json,
    [EnumMember(Value = "csv")]
    Csv,
}
