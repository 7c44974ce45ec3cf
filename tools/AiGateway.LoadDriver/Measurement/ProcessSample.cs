namespace AiGateway.LoadDriver.Measurement;

/// <summary>One reading of a process's /proc files.</summary>
/// <param name="Timestamp">Stopwatch timestamp of the reading.</param>
/// <param name="CpuSeconds">utime + stime so far, in seconds.</param>
/// <param name="RssKb">VmRSS, kB.</param>
/// <param name="PeakRssKb">VmHWM (peak resident set over the process's life), kB.</param>
/// <param name="Threads">Threads of the process.</param>
internal readonly record struct ProcessSample(long Timestamp, double CpuSeconds, long RssKb, long PeakRssKb, int Threads);
