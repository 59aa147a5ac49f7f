using Mentoring.Core.Mail;
using Mentoring.Core.Privacy;

namespace Mentoring.Sqlite.Tests;

/// <summary>Erasing a person from the embedded outbox, on a real SQLite file: their mail goes, others' mail names them no more.</summary>
public sealed class SqliteMailOutboxErasureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ErasedPerson Ann = new("spring", "p_ann", "Ann", "ann@example.com", "(erased)", "erased+p_ann@invalid");

    private readonly TempDatabaseFolder folder = new();
    private readonly SqliteMailOutbox outbox;

    public SqliteMailOutboxErasureTests()
    {
        folder.OpenStore();
        outbox = new SqliteMailOutbox(new SqliteStoreOptions(folder.DatabasePath));
    }

    public void Dispose()
    {
        outbox.Dispose();
        folder.Dispose();
    }

    private static MailMessage Mail(string key, string to, string text, string programId = "spring") => new()
    {
        IdempotencyKey = key,
        To = [new MailAddress(to)],
        Subject = text,
        TextBody = text,
        HtmlBody = $"<p>{text}</p>",
        Category = MailCategories.Intro,
        ProgramId = programId,
    };

    private async Task<IReadOnlyList<StoredMail>> AllAsync() => await outbox.ListAsync(new MailboxQuery { Limit = 100 });

    [Fact]
    public async Task The_persons_own_mail_keeps_only_its_key_and_is_never_sent_others_are_scrubbed_and_other_programs_untouched()
    {
        await outbox.SendAsync(Mail("intro:ann", "Ann@Example.com", "Meet Bo, Ann"));
        await outbox.SendAsync(Mail("intro:bo", "bo@example.com", "Meet Ann (ann@example.com)"));
        await outbox.SendAsync(Mail("intro:cy", "cy@example.com", "Meet Di, and Anna"));
        await outbox.SendAsync(Mail("autumn:ann", "ann@example.com", "Meet Ed", programId: "autumn"));
        var cyBefore = (await AllAsync()).Single(m => m.Message.IdempotencyKey == "intro:cy");

        await outbox.EraseAsync(Ann);

        var left = (await AllAsync()).ToDictionary(m => m.Message.IdempotencyKey);
        var ann = left["intro:ann"];
        Assert.Equal((new MailAddress("erased+p_ann@invalid", "(erased)"), "(erased)", "", ""),
            (Assert.Single(ann.Message.To), ann.Message.Subject, ann.Message.TextBody, ann.Message.HtmlBody));
        Assert.Equal((MailDeliveryStatus.Failed, "Not sent: the recipient was erased."), (ann.Status, ann.LastError));
        var bo = left["intro:bo"];
        Assert.Equal(("Meet (erased) (erased+p_ann@invalid)", "<p>Meet (erased) (erased+p_ann@invalid)</p>"), (bo.Message.Subject, bo.Message.HtmlBody));
        Assert.Equal(MailDeliveryStatus.Queued, bo.Status);
        Assert.Equal(cyBefore.Message.TextBody, left["intro:cy"].Message.TextBody);
        Assert.Equal("Meet Ed", left["autumn:ann"].Message.TextBody);
        // The queued mail to Ann is never sent, nor queued again under its key; Bo's, Cy's and the other program's still go.
        Assert.False(await outbox.SendAsync(Mail("intro:ann", "ann@example.com", "Meet Bo, Ann")));
        var due = await outbox.ClaimDueAsync(Now.AddYears(10), 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["autumn:ann", "intro:bo", "intro:cy"], due.Select(d => d.Message.IdempotencyKey).Order());
        Assert.Empty(await outbox.ListAsync(new MailboxQuery { ProgramId = "spring", Recipient = "ann@example.com" }));
    }

    [Fact]
    public async Task A_delivered_mail_to_the_person_loses_the_relays_answer_too_and_erasing_again_changes_nothing()
    {
        await outbox.SendAsync(Mail("intro:ann", "ann@example.com", "Meet Bo"));
        await outbox.SendAsync(Mail("intro:bo", "bo@example.com", "Meet Ann"));
        var claimed = await outbox.ClaimDueAsync(Now.AddYears(10), 10, TimeSpan.FromMinutes(1));
        await outbox.MarkDeliveredAsync(claimed.Single(c => c.Message.IdempotencyKey == "intro:ann").Id, Now, "250 2.0.0 Ok: queued for ann@example.com");
        await outbox.EraseAsync(Ann);
        var once = await AllAsync();
        var ann = once.Single(m => m.Message.IdempotencyKey == "intro:ann");
        Assert.Equal((MailDeliveryStatus.Delivered, null, null), (ann.Status, ann.LastError, ann.DeliveryNote));

        await outbox.EraseAsync(Ann);

        Assert.Equal(once.Select(m => (m.Id, m.Status, m.Message.TextBody)), (await AllAsync()).Select(m => (m.Id, m.Status, m.Message.TextBody)));
    }

    [Fact]
    public async Task Two_people_erased_at_once_from_one_draft_mail_are_both_gone_from_it()
    {
        var bo = Ann with { ParticipantId = "p_bo", Name = "Bo", Email = "bo@example.com", ErasedEmail = "erased+p_bo@invalid" };
        await outbox.SendAsync(Mail("draft:hr", "hr@example.com", "Ann and Bo, Cy and Di"));
        using var second = new SqliteMailOutbox(new SqliteStoreOptions(folder.DatabasePath));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? outbox.EraseAsync(Ann) : second.EraseAsync(bo)));

        Assert.Equal("(erased) and (erased), Cy and Di", Assert.Single(await AllAsync()).Message.TextBody);
    }
}
