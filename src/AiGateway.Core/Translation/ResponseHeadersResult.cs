namespace AiGateway.Core.Translation;

/// <summary>What the response translator decided when the provider's response headers arrived.</summary>
/// <param name="StreamBody">True to process the body chunk by chunk (SSE); false to take it whole.</param>
/// <param name="ContentType">A content type to set, or null to keep the provider's.</param>
/// <param name="ReplacementBody">A body to send instead of an empty one (errors without a body), or null.</param>
public readonly record struct ResponseHeadersResult(bool StreamBody, string? ContentType, byte[]? ReplacementBody);
