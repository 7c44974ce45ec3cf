using System.Globalization;

namespace AiGateway.LoadDriver;

/// <summary>The markdown table the driver prints, one row per run.</summary>
internal static class ResultTable
{
    public const string Header =
        "| target | load | req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | server CPU % | server CPU µs/req | server peak RSS MB | driver CPU % | other CPU % | sustainable |\n" +
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|";

    public static string Load(RunResult r) => r.Mode == "rate"
        ? string.Create(CultureInfo.InvariantCulture, $"{r.Load:0} req/s")
        : string.Create(CultureInfo.InvariantCulture, $"flat c={r.Load:0}");

    public static string Row(RunResult r)
    {
        var target = r.Label is null ? r.Target : $"{r.Target} ({r.Label})";
        if (r.Failure is not null && r.Requests == 0)
        {
            return $"| {target} | {Load(r)} | FAILED | | | | | | | | | | | |";
        }

        var sustainable = r.Sustainable switch
        {
            true => "yes",
            false => "no",
            null => "",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"| {target} | {Load(r)} | {r.Throughput:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.P999Ms:0.00} | {r.MaxMs:0.00} | {r.Errors} | {r.ServerCpuPercent:0} | {r.ServerCpuMicrosPerRequest:0} | {r.ServerPeakRssMb:0} | {r.DriverCpuPercent:0} | {r.OtherCpuPercent:0} | {sustainable} |");
    }
}
