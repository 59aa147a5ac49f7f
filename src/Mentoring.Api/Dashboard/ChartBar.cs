namespace Mentoring.Api.Dashboard;

/// <summary>One bar: its label, its value, the text shown for it ("42%", "3"), and a colour class (alt, warn).</summary>
public sealed record ChartBar(string Label, double Value, string Display, string Tone = "");
