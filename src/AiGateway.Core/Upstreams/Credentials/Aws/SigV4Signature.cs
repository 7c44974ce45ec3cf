namespace AiGateway.Core.Upstreams.Credentials.Aws;

/// <summary>The outcome of signing one request with SigV4.</summary>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="AmzDate">The <c>x-amz-date</c> value the signature covers.</param>
/// <param name="SignedHeaders">The signed header names, lower case, sorted, joined with <c>;</c>.</param>
/// <param name="Signature">The signature, lower-case hex.</param>
/// <param name="CanonicalRequest">The canonical request (for tests and for the mock's diagnostics; holds no secret).</param>
/// <param name="StringToSign">The string to sign (holds no secret).</param>
public sealed record SigV4Signature(string Authorization, string AmzDate, string SignedHeaders, string Signature, string CanonicalRequest, string StringToSign);
