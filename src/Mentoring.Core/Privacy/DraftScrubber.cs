using System.Text.RegularExpressions;
using Mentoring.Core.Matching;

namespace Mentoring.Core.Privacy;

/// <summary>Removes one person's name and address from a stored draft, leaving scores and structure intact.</summary>
public static class DraftScrubber
{
    /// <returns>The same instance when the person is not in the draft.</returns>
    public static PairDraft Scrub(PairDraft draft, string participantId, string name, string erasedName, string erasedEmail)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var mentioned = draft.Pairs.Any(p => p.A.Id == participantId || p.B.Id == participantId)
            || draft.Trios.Concat(draft.Groups).Any(g => g.Members.Any(m => m.Id == participantId))
            || draft.Waitlist.Any(w => w.Person.Id == participantId)
            || draft.SetAside.Any(s => s.Person.Id == participantId);
        if (!mentioned)
        {
            return draft;
        }
        // Other people's explanations may name this person ("same manager as Ana"): whole words only.
        var namePattern = new Regex($@"(?<!\w){Regex.Escape(name)}(?!\w)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        string Text(string text) => name.Length == 0 ? text : namePattern.Replace(text, erasedName);
        DraftMember Member(DraftMember m) => m.Id == participantId ? m with { Name = erasedName, Email = erasedEmail } : m;
        DraftPair Pair(DraftPair p) => p with { A = Member(p.A), B = Member(p.B), Sentence = Text(p.Sentence) };
        DraftGroup Group(DraftGroup g) => g with { Members = [.. g.Members.Select(Member)], Links = [.. g.Links.Select(Pair)], Sentence = Text(g.Sentence) };
        return draft with
        {
            Pairs = [.. draft.Pairs.Select(Pair)],
            Trios = [.. draft.Trios.Select(Group)],
            Groups = [.. draft.Groups.Select(Group)],
            Waitlist = [.. draft.Waitlist.Select(w => w with { Person = Member(w.Person), Explanation = Text(w.Explanation) })],
            SetAside = [.. draft.SetAside.Select(s => s with { Person = Member(s.Person), Reason = Text(s.Reason) })],
            Notes = [.. draft.Notes.Select(Text)],
        };
    }
}
