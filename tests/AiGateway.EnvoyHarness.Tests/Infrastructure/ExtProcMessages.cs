using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>Readers for what the harness sent.</summary>
public static class ExtProcMessages
{
    /// <summary>The <c>raw_value</c> of the first header named <paramref name="name"/>, or null.</summary>
    public static string? Header(HttpHeaders headers, string name) =>
        headers.Headers.Headers.FirstOrDefault(h => h.Key == name)?.RawValue.ToStringUtf8();
}
