using Trust.Platform.Policy.Domain.SchoolApprovals;

namespace Trust.Platform.Policy.Tests;

/// <summary>A school's review dates as pure logic, no servers (deploy/unit.sh runs them).</summary>
[Trait("Category", "Unit")]
public sealed class SchoolApprovalRulesTests
{
    [Theory]
    [InlineData(2026, 3, 24, 24, 2028, 3, 24)]
    [InlineData(2026, 1, 31, 1, 2026, 2, 28)]
    public void The_next_review_is_the_approval_date_plus_the_cycle(int y, int m, int d, int months, int ey, int em, int ed)
    {
        SchoolApprovalRules.NextReview(new DateOnly(y, m, d), months).Should().Be(new DateOnly(ey, em, ed));
    }

    [Fact]
    public void A_schools_own_review_date_wins_over_its_approvals_which_wins_over_the_trusts()
    {
        var own = new DateOnly(2027, 1, 1);
        var fromApproval = new DateOnly(2028, 3, 24);
        var trusts = new DateOnly(2026, 9, 1);
        SchoolApprovalRules.ReviewDate(own, fromApproval, trusts).Should().Be(own);
        SchoolApprovalRules.ReviewDate(null, fromApproval, trusts).Should().Be(fromApproval);
        SchoolApprovalRules.ReviewDate(null, null, trusts).Should().Be(trusts);
    }
}
