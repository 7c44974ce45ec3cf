using AiGateway.Core.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

public sealed class DataMaskingConfigTests
{
    private const string Providers = """
        providers:
          - name: primary
            type: openai
            endpoint: https://api.openai.com/v1
            models: [gpt-4o]

        """;

    private static GatewaySnapshot Load(string yaml)
    {
        var loader = new GatewayConfigLoader(_ => true, name => name == "PII_HASH_KEY" ? "from-env" : null, new FakeTimeProvider());
        var result = loader.Load(Providers + yaml, "gateway.yaml");
        return result.Snapshot ?? throw new InvalidOperationException(string.Join("\n", result.Findings));
    }

    [Fact]
    public void Reads_mask_output_and_the_tenant_header()
    {
        var snapshot = Load("""
            security:
              data_masking:
                mask_output: true
                pii_detection:
                  mode: hash
                  hash_key: ${PII_HASH_KEY}
                  tenant_header: X-Org-Id
            """);

        Assert.True(snapshot.DataMasking!.MaskOutput);
        Assert.Equal("x-org-id", snapshot.DataMasking.TenantHeader);
    }

    [Fact]
    public void Leaves_output_alone_and_reads_the_tenant_from_x_tenant_id_by_default()
    {
        var snapshot = Load("""
            security:
              data_masking:
                pii_detection:
                  enabled: true
            """);

        Assert.False(snapshot.DataMasking!.MaskOutput);
        Assert.Equal("x-tenant-id", snapshot.DataMasking.TenantHeader);
    }
}
