using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Tests;

/// <summary>An account review's reminders and when it counts as due, without servers.</summary>
[Trait("Category", "Unit")]
public sealed class AccountReviewScheduleTests
{
    private static readonly DateOnly Review = new(2027, 3, 31);

    [Fact]
    public void The_reminders_fall_two_weeks_before_on_the_date_and_the_day_after()
    {
        AccountReviews.Reminders(Review).Should().Equal(("2_weeks", new DateOnly(2027, 3, 17)), ("due", Review), ("overdue", new DateOnly(2027, 4, 1)));
    }

    [Fact]
    public void Only_reminders_due_and_not_sent_are_left_in_date_order()
    {
        AccountReviews.Unsent(Review, new DateOnly(2027, 3, 16), []).Should().BeEmpty();
        AccountReviews.Unsent(Review, Review, []).Should().Equal("2_weeks", "due");
        AccountReviews.Unsent(Review, new DateOnly(2027, 5, 1), ["2_weeks"]).Should().Equal("due", "overdue");
        AccountReviews.Unsent(Review, new DateOnly(2027, 5, 1), ["2_weeks", "due", "overdue"]).Should().BeEmpty();
    }

    [Fact]
    public void An_open_account_is_due_from_two_weeks_before_its_review_and_a_closed_one_never()
    {
        var account = new Account { ReviewDate = Review, Status = AccountStatus.Live };

        AccountReviews.IsDue(account, new DateOnly(2027, 3, 16)).Should().BeFalse();
        AccountReviews.IsDue(account, new DateOnly(2027, 3, 17)).Should().BeTrue();
        AccountReviews.IsDue(account, new DateOnly(2028, 1, 1)).Should().BeTrue();
        AccountReviews.IsDue(new Account { ReviewDate = Review, Status = AccountStatus.Closed }, Review).Should().BeFalse();
        AccountReviews.IsDue(new Account { Status = AccountStatus.Live }, Review).Should().BeFalse();
    }
}
