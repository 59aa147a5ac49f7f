using Mentoring.Core.Decisions;
using Mentoring.Core.Links;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Tests.Mail;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Decisions;

public sealed class DecisionLinkTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DecisionTokens Tokens = new(new LinkSigner([new SigningKey("k1", new byte[32])]));
    private static readonly DecisionLinks Links = new(Tokens, new DecisionLinkOptions
    {
        PublicBaseUrl = new Uri("https://mentoring.example.com"),
        TokenLifetime = TimeSpan.FromDays(3),
    });

    private static DecisionGrant Grant(DecisionAction action = DecisionAction.Approve) => new()
    {
        ProgramId = "spring",
        WindowId = "w1",
        Version = 2,
        Approver = "hr@example.com",
        Action = action,
        ExpiresAtUnix = Now.AddDays(3).ToUnixTimeSeconds(),
    };

    private static DecisionGrant Read(Uri link, DateTimeOffset at)
    {
        Assert.Equal("mentoring.example.com", link.Host);
        Assert.StartsWith("/api/decisions/", link.AbsolutePath, StringComparison.Ordinal);
        var (grant, problem) = Tokens.Verify(link.AbsolutePath["/api/decisions/".Length..], at);
        Assert.Equal(TokenProblem.None, problem);
        return grant!;
    }

    [Fact]
    public void A_decision_link_works_until_the_second_it_expires()
    {
        var token = Tokens.Sign(Grant());
        Assert.Equal(TokenProblem.None, Tokens.Verify(token, Now.AddDays(3).AddSeconds(-1)).Problem);
        var (grant, problem) = Tokens.Verify(token, Now.AddDays(3));
        Assert.Equal(TokenProblem.Expired, problem);
        Assert.Equal(Grant(), grant); // still read, so the page can say when it expired and for which draft
        Assert.Equal(Now.AddDays(3), grant!.ExpiresAt);
    }

    [Fact]
    public void A_forged_decision_link_yields_no_grant_even_before_expiry()
    {
        var token = Tokens.Sign(Grant());
        var forged = new DecisionTokens(new LinkSigner([new SigningKey("k1", Enumerable.Repeat((byte)1, 32).ToArray())])).Sign(Grant());
        Assert.Equal((null, TokenProblem.BadSignature), Tokens.Verify(forged, Now));
        Assert.Equal((null, TokenProblem.Malformed), Tokens.Verify(token[..^50], Now));
    }

    [Fact]
    public void A_draft_mail_carries_one_signed_link_per_action_for_its_admin_and_version()
    {
        var links = Links.Draft("spring", "w1", 2, "lead@example.com", MailFixtures.Draft(), Now);

        var approve = Read(links.Approve, Now);
        Assert.Equal(("spring", "w1", 2, "lead@example.com", DecisionAction.Approve), (approve.ProgramId, approve.WindowId, approve.Version, approve.Approver, approve.Action));
        Assert.Equal(Now.AddDays(3), approve.ExpiresAt);
        Assert.Null(approve.Pair);
        Assert.Equal(DecisionAction.Reject, Read(links.Reject, Now).Action);
        Assert.Equal(DecisionAction.Rerun, Read(links.Rerun, Now).Action);
    }

    [Fact]
    public void Every_pair_of_the_draft_gets_its_own_forbid_link_naming_both_people()
    {
        var draft = MailFixtures.Draft();
        var links = Links.Draft("spring", "w1", 2, "lead@example.com", draft, Now);

        Assert.Equal(draft.Pairs.Count, links.ForbidPairs.Count);
        for (var i = 0; i < draft.Pairs.Count; i++)
        {
            var grant = Read(links.ForbidPairs[i], Now);
            Assert.Equal(DecisionAction.ForbidPair, grant.Action);
            Assert.Equal(new ParticipantPair(draft.Pairs[i].A.Id, draft.Pairs[i].B.Id), grant.Pair);
        }
    }
}
