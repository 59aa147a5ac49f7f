using Mentoring.Core.Programs;

namespace Mentoring.Core.Engagement.Agendas;

/// <summary>
/// The agendas a program gets when it defines none: onboarding, goal setting, networking and a wrap-up, spread over the
/// program's length. Peers and groups share one set; mentor/mentee and reverse programs get prompts per role, since the
/// two sides of the table prepare different things.
/// </summary>
public static class DefaultAgendas
{
    public static IReadOnlyList<AgendaSession> For(MentoringProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var weeks = Math.Max(1, program.Engagement.ProgramLengthDays / 7);
        var roles = program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse or PairingShape.GroupsLed;
        // The midpoint and wrap-up follow the program's length; short programs keep only the sessions that fit, in
        // distinct weeks, the wrap-up always last.
        var midpoint = Math.Max(4, (weeks + 1) / 2);
        var sessions = roles ? Roles(midpoint, weeks) : Peers(midpoint, weeks);
        return weeks switch
        {
            >= 5 => sessions,
            4 => [sessions[0], sessions[1], sessions[3]],
            _ => [sessions[0], sessions[3] with { Week = 2 }],
        };
    }

    private static AgendaSession[] Peers(int midpoint, int wrapUp) =>
    [
        new()
        {
            Week = 1, Title = "Getting to know each other",
            Prompts =
            [
                "What does a good week at work look like for you?",
                "What is something you learned recently, at work or outside it?",
                "What would make these conversations worth your time?",
            ],
            Activity = "Each of you names one goal for the program, and you agree how often to meet.",
        },
        new()
        {
            Week = 3, Title = "Setting goals",
            Prompts =
            [
                "Which of your goals matters most right now, and why?",
                "Where could someone else's experience help you with it?",
                "What is one small step you can take before you next meet?",
            ],
            Activity = "Each of you picks one small experiment to try before the next session, and reports back.",
        },
        new()
        {
            Week = midpoint, Title = "Widening your network",
            Prompts =
            [
                "Which team's work would you like to understand better?",
                "Who else in the company should each of you meet?",
                "What has surprised you about the other's work so far?",
            ],
            Activity = "Each of you introduces the other to one colleague worth a coffee.",
        },
        new()
        {
            Week = wrapUp, Title = "Looking back and ahead",
            Prompts =
            [
                "What has changed for you since your first session?",
                "What will you keep doing after the program ends?",
                "What would you tell people joining the next round?",
            ],
            Activity = "Thank each other for one specific thing, and decide whether to keep meeting.",
        },
    ];

    private static AgendaSession[] Roles(int midpoint, int wrapUp) =>
    [
        new()
        {
            Week = 1, Title = "Getting started",
            Prompts = ["What do you each hope to get from these sessions?", "How do you like to give and receive feedback?"],
            MentorPrompts =
            [
                "Share how you got to where you are, including one setback.",
                "Ask what your mentee hopes to get from these sessions.",
                "Agree how often you meet and how your mentee can reach you in between.",
            ],
            MenteePrompts =
            [
                "Say what you hope to get from these sessions.",
                "Bring one situation you would like a second view on.",
                "Agree how often you meet and how you can reach your mentor in between.",
            ],
            Activity = "Write down together what a good outcome of the program would look like for the mentee.",
        },
        new()
        {
            Week = 3, Title = "Setting goals",
            Prompts = ["Which goal matters most for the next two months?", "How will you know it has been reached?"],
            MentorPrompts =
            [
                "Help your mentee turn one hope into a goal you can both check on.",
                "Ask which support helps most: advice, introductions or practice.",
            ],
            MenteePrompts =
            [
                "Name one goal for the next two months and how you will know you reached it.",
                "Say which support helps you most: advice, introductions or practice.",
            ],
            Activity = "Agree the first step the mentee takes before the next session.",
        },
        new()
        {
            Week = midpoint, Title = "Checking progress",
            Prompts = ["What has moved since the goals were set, and what is stuck?", "Who else could help?"],
            MentorPrompts =
            [
                "Ask what has moved since you set the goal, and what is stuck.",
                "Offer one introduction to someone who could help.",
                "Share one thing you have learned from your mentee so far.",
            ],
            MenteePrompts =
            [
                "Report what has moved since you set your goal, and what is stuck.",
                "Ask your mentor for one introduction or one piece of practice.",
            ],
            Activity = "Adjust the goal if it no longer fits, and agree the next step.",
        },
        new()
        {
            Week = wrapUp, Title = "Wrapping up",
            Prompts = ["What has changed since the first session?", "What happens after the program ends?"],
            MentorPrompts =
            [
                "Ask your mentee what changed for them since the first session.",
                "Say what you learned from the sessions yourself.",
            ],
            MenteePrompts =
            [
                "Say what changed for you since the first session.",
                "Decide what you will keep working on, and who can help you with it next.",
            ],
            Activity = "Decide together whether to keep meeting, and how often.",
        },
    ];
}
