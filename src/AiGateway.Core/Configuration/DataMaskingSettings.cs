using AiGateway.Core.Pii;

namespace AiGateway.Core.Configuration;

/// <summary>Compiled <c>security.data_masking</c>.</summary>
/// <param name="Masker">Masks request text (and, through <see cref="PiiMasker.ForOutput"/>, model output).</param>
/// <param name="MaskOutput">True when the model's answers are masked too (<c>mask_output</c>).</param>
/// <param name="TenantHeader">The lower-case request header naming the tenant whose key hashes are made under (<c>pii_detection.tenant_header</c>).</param>
public sealed record DataMaskingSettings(PiiMasker Masker, bool MaskOutput, string TenantHeader)
{
    /// <summary>The default <see cref="TenantHeader"/>.</summary>
    public const string DefaultTenantHeader = "x-tenant-id";

    /// <summary>The tenant of requests that name none: they share one key.</summary>
    public const string DefaultTenant = "default";
}
