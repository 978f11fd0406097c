using System.Linq.Expressions;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Domain.Accounts;

/// <summary>
/// An official account's review (000/003/004: "how success will be evaluated"; 002 l.127), on the day at its school. Its
/// reminders follow the policy review's (one way: a named reminder per date, each sent once per review date), scaled to a
/// register entry: two weeks before, on the date, and the day after when it is overdue.
/// </summary>
public static class AccountReviews
{
    public const string TwoWeeks = "2_weeks";
    public const string Due = "due";
    public const string Overdue = "overdue";

    /// <summary>How far ahead an account counts as due for review (its first reminder).</summary>
    public const int NoticeDays = 14;

    public static IReadOnlyList<(string Reminder, DateOnly DueOn)> Reminders(DateOnly reviewDate) =>
    [
        (TwoWeeks, reviewDate.AddDays(-NoticeDays)),
        (Due, reviewDate),
        (Overdue, reviewDate.AddDays(1)),
    ];

    /// <summary>The reminders of <paramref name="reviewDate"/> due by <paramref name="today"/> that were not sent, in date order.</summary>
    public static IReadOnlyList<string> Unsent(DateOnly reviewDate, DateOnly today, IReadOnlyCollection<string> sent) =>
        Reminders(reviewDate).Where(r => r.DueOn <= today && !sent.Contains(r.Reminder)).Select(r => r.Reminder).ToList();

    /// <summary>An open account whose review date is within the notice period of its school's today, or has passed.</summary>
    public static bool IsDue(Account account, DateOnly today) =>
        account.Status != AccountStatus.Closed && account.ReviewDate is { } date && date <= today.AddDays(NoticeDays);

    /// <summary>
    /// <see cref="IsDue"/> as a query (or its opposite when <paramref name="dueForReview"/> is false): <paramref name="todayBySchool"/>
    /// gives each school's own today (schools of one trust may sit in different zones), so the filter is one condition per distinct date.
    /// </summary>
    public static IQueryable<Account> DueForReview(this IQueryable<Account> query, IReadOnlyDictionary<Guid, DateOnly> todayBySchool, bool dueForReview = true)
    {
        var a = Expression.Parameter(typeof(Account), "a");
        Expression any = Expression.Constant(false);
        foreach (var group in todayBySchool.GroupBy(s => s.Value.AddDays(NoticeDays), s => s.Key))
        {
            var schools = group.ToArray();
            DateOnly? horizon = group.Key;
            Expression<Func<Account, bool>> part = x => schools.Contains(x.SchoolId) && x.ReviewDate != null && x.ReviewDate <= horizon;
            any = Expression.OrElse(any, new Rebind(part.Parameters[0], a).Visit(part.Body));
        }

        var isOpen = (Expression<Func<Account, bool>>)(x => x.Status != AccountStatus.Closed);
        var due = Expression.AndAlso(new Rebind(isOpen.Parameters[0], a).Visit(isOpen.Body), any);
        return query.Where(Expression.Lambda<Func<Account, bool>>(dueForReview ? due : Expression.Not(due), a));
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
