namespace Trust.Platform.TestSupport;

/// <summary>Waits for an asynchronous effect by polling, never by sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        // Elapsed time on the monotonic clock: the platform clock may be shifted, and a poll's deadline is a duration.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var delay = TimeSpan.FromMilliseconds(20);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"Condition not met within {limit.TotalSeconds} s{(because is null ? "" : ": " + because)}. Last value: {last}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 1.5));
        }
    }

    public static async Task Assert(Func<Task> assertion, TimeSpan? timeout = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (waited.Elapsed < limit)
            {
                await Task.Delay(100);
            }
        }
    }
}

public static class Http
{
    /// <summary>Like EnsureSuccessStatusCode, but the failure carries the problem details body.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 3000)]}");
        }
    }
}
