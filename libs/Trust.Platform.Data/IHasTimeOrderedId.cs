namespace Trust.Platform.Data;

/// <summary>
/// An entity whose id is a version 7 GUID (RFC 9562: time-ordered), so that ordering by id is ordering by creation: the
/// key every list pages by (<c>Paging.TakePageAsync</c>).
/// </summary>
public interface IHasTimeOrderedId
{
    Guid Id { get; }
}
