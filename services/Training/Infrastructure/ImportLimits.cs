using Microsoft.AspNetCore.Http.Metadata;

namespace Trust.Platform.Training.Infrastructure;

/// <summary>The body limit of an MIS import (roster sync, completions): 10,000 rows as JSON is about 2-3 MB; the platform's default cap is 1 MB.</summary>
public sealed class ImportBodyLimit : IRequestSizeLimitMetadata
{
    public const long MaxBytes = 16 * 1024 * 1024;

    public long? MaxRequestBodySize => MaxBytes;
}

/// <summary>The kinds of import job (one table, one job model).</summary>
public static class ImportKind
{
    public const string Roster = "roster";
    public const string Completions = "completions";
}
