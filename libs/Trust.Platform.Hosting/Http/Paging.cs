using System.Buffers.Text;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data;

namespace Trust.Platform.Hosting.Http;

/// <summary>One page of a cursor-paginated list. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The query of a cursor-paginated list: <c>?limit=</c> (1-200, default 50) and the <c>cursor</c> the previous page returned.</summary>
public class PageQuery
{
    [QueryParam]
    public int? Limit { get; init; }

    [QueryParam]
    public string? Cursor { get; init; }
}

/// <summary>
/// The rules of <see cref="PageQuery"/>. A list with more filters derives its query from <see cref="PageQuery"/> and its
/// validator from this class (rules declared in the validator itself, so the contract shows them on the parameters).
/// </summary>
public abstract class PageQueryValidator<TQuery> : Validator<TQuery>
    where TQuery : PageQuery
{
    protected PageQueryValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(x => x.Cursor).MaximumLength(200);
    }
}

public sealed class PageQueryValidator : PageQueryValidator<PageQuery>;

/// <summary>Cursor paging over a stable key: the cursor is the opaque, URL-safe last key of the previous page.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Validates <c>limit</c> and <c>cursor</c>; returns a field error for a bad value.</summary>
    public static bool TryRead(int? limit, string? cursor, out int size, out string? after, out ProblemHttpResult? error)
    {
        size = limit ?? DefaultLimit;
        after = null;
        error = null;
        if (size is < 1 or > MaxLimit)
        {
            error = TypedResults.Problem(PlatformExceptionHandler.Validation(400, "limit", $"Must be between 1 and {MaxLimit}."));
            return false;
        }

        if (cursor is null)
        {
            return true;
        }

        try
        {
            after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            error = TypedResults.Problem(PlatformExceptionHandler.Validation(400, "cursor", "Not a cursor this API returned."));
            return false;
        }
    }

    /// <summary>As <see cref="TryRead"/>, for lists keyed by a Guid (ids are time-ordered v7 Guids).</summary>
    public static bool TryReadGuid(int? limit, string? cursor, out int size, out Guid? after, out ProblemHttpResult? error)
    {
        after = null;
        if (!TryRead(limit, cursor, out size, out var key, out error))
        {
            return false;
        }

        if (key is null)
        {
            return true;
        }

        if (Guid.TryParse(key, out var id))
        {
            after = id;
            return true;
        }

        error = TypedResults.Problem(PlatformExceptionHandler.Validation(400, "cursor", "Not a cursor this API returned."));
        return false;
    }

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>
    /// The rows of one page of a list keyed by id: those after the cursor's id, in id order (creation order, the ids being
    /// time-ordered), one more than <paramref name="size"/> so that <see cref="Build{TIn,TOut}(IReadOnlyList{TIn},int,Func{TIn,TOut})"/>
    /// knows whether another page follows. The one way a list pages by id, in every service.
    /// </summary>
    public static Task<List<T>> TakePageAsync<T>(this IQueryable<T> query, Guid? after, int size, CancellationToken cancellationToken)
        where T : class, IHasTimeOrderedId
    {
        if (after is { } afterId)
        {
            query = query.Where(row => row.Id.CompareTo(afterId) > 0);
        }

        return query.OrderBy(row => row.Id).Take(size + 1).ToListAsync(cancellationToken);
    }

    /// <summary>The page of rows taken by <see cref="TakePageAsync{T}"/>: the cursor is the last row's id.</summary>
    public static Page<TOut> Build<TIn, TOut>(IReadOnlyList<TIn> rows, int size, Func<TIn, TOut> map)
        where TIn : IHasTimeOrderedId =>
        Build(rows, size, row => row.Id.ToString(), map);

    /// <summary>Builds a page from <paramref name="rows"/> fetched with <c>size + 1</c> rows to know whether more follow.</summary>
    public static Page<TOut> Build<TIn, TOut>(IReadOnlyList<TIn> rows, int size, Func<TIn, string> key, Func<TIn, TOut> map)
    {
        var items = rows.Take(size).Select(map).ToList();
        var next = rows.Count > size ? Encode(key(rows[size - 1])) : null;
        return new Page<TOut>(items, next);
    }
}
