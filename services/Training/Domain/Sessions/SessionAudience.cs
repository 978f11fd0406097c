// EnumMember names are what the contract's examples are written with (NSwag serialises them); the API writes the same
// snake_case names through its enum converter.
using System.Runtime.Serialization;

namespace Trust.Platform.Training.Domain.Sessions;

/// <summary>Who a cohort session was for (002: pupils are taught termly; parents are invited).</summary>
public enum SessionAudience
{
    [EnumMember(Value = "pupils")]
    Pupils,
    [EnumMember(Value = "parents")]
    Parents,
}
