using Mentoring.Core.Work;
using Mentoring.Functions.Work;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Mentoring.Functions.Tests.Work;

public sealed class WorkQueueFunctionsTests
{
    private static readonly WorkItem Item = new()
    {
        IdempotencyKey = "checkin:prog:m1:p1:2027-03-01",
        Purpose = WorkPurposes.CheckInNudge,
        ProgramId = "prog",
        ParticipantId = "p1",
        DueAt = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero),
    };

    private readonly Mock<IWorkHandler> _handler = new();
    private readonly Mock<IWorkFailureLog> _failures = new();

    private WorkQueueFunctions Functions() => new(_handler.Object, _failures.Object, NullLogger<WorkQueueFunctions>.Instance);

    private static FunctionContext Context(object? dequeueCount)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (dequeueCount is not null)
        {
            data["DequeueCount"] = dequeueCount;
        }

        var binding = new Mock<BindingContext>();
        binding.Setup(b => b.BindingData).Returns(data);
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.BindingContext).Returns(binding.Object);
        return context.Object;
    }

    [Fact]
    public async Task The_message_is_handed_to_the_work_handler()
    {
        await Functions().HandleAsync(StorageQueueWorkQueue.Serialize(Item), Context(1L));

        _handler.Verify(h => h.HandleAsync(It.Is<WorkItem>(i => i.IdempotencyKey == Item.IdempotencyKey && i.Purpose == Item.Purpose),
            It.IsAny<CancellationToken>()), Times.Once);
        _failures.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_handler_exception_propagates_so_the_host_retries_and_the_error_is_recorded()
    {
        var failure = new InvalidOperationException("SendGrid said no");
        _handler.Setup(h => h.HandleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Functions().HandleAsync(StorageQueueWorkQueue.Serialize(Item), Context("5")));

        Assert.Same(failure, thrown);
        _failures.Verify(f => f.RecordFailureAsync(It.Is<WorkItem>(i => i.IdempotencyKey == Item.IdempotencyKey), 5L,
            "InvalidOperationException: SendGrid said no", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_message_that_is_not_a_work_item_throws_without_calling_the_handler()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Functions().HandleAsync("{\"hello\":1}", Context(null)));

        _handler.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(3L, 3L)]
    [InlineData(2, 2L)]
    [InlineData("4", 4L)]
    [InlineData(null, null)]
    public void The_dequeue_count_is_read_from_the_trigger_metadata(object? value, long? expected)
    {
        Assert.Equal(expected, WorkQueueFunctions.DequeueCountOf(Context(value)));
    }
}

public sealed class ScheduledJobFunctionsTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<IScheduledJob> _checkIns = Job("CheckIns");
    private readonly Mock<IScheduledJob> _surveys = Job("SurveyReminders");

    private static Mock<IScheduledJob> Job(string name)
    {
        var job = new Mock<IScheduledJob>();
        job.Setup(j => j.Name).Returns(name);
        return job;
    }

    private static ScheduledJobFunctions Functions(params IScheduledJob[] jobs)
    {
        var clock = new Mock<TimeProvider>();
        clock.Setup(c => c.GetUtcNow()).Returns(Now);
        return new ScheduledJobFunctions(jobs, clock.Object, NullLogger<ScheduledJobFunctions>.Instance);
    }

    [Fact]
    public async Task The_check_ins_timer_runs_the_check_ins_job_at_the_clocks_now()
    {
        await Functions(_checkIns.Object, _surveys.Object).CheckInsAsync(new TimerInfo(), Mock.Of<FunctionContext>());

        _checkIns.Verify(j => j.RunAsync(Now, It.IsAny<CancellationToken>()), Times.Once);
        _surveys.Verify(j => j.RunAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_survey_reminders_timer_runs_the_survey_job_even_when_past_due()
    {
        await Functions(_checkIns.Object, _surveys.Object).SurveyRemindersAsync(new TimerInfo { IsPastDue = true }, Mock.Of<FunctionContext>());

        _surveys.Verify(j => j.RunAsync(Now, It.IsAny<CancellationToken>()), Times.Once);
        _checkIns.Verify(j => j.RunAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_timer_without_its_job_fails_loudly()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Functions(_surveys.Object).CheckInsAsync(new TimerInfo(), Mock.Of<FunctionContext>()));

        Assert.Contains("CheckIns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_job_fails_the_occurrence()
    {
        _checkIns.Setup(j => j.RunAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("store"));

        await Assert.ThrowsAsync<TimeoutException>(
            () => Functions(_checkIns.Object).CheckInsAsync(new TimerInfo(), Mock.Of<FunctionContext>()));
    }
}
