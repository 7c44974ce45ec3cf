namespace AiGateway.Core.Pii.Detection;

/// <summary>
/// One built-in candidate pattern. A type can have several (phone: NANP, E.164, Japanese; IP: v4, v6);
/// the order here is the order in which a type's patterns contribute findings.
/// </summary>
internal enum PiiPattern
{
    /// <summary>E-mail address.</summary>
    Email,

    /// <summary>NANP phone number with separators or brackets.</summary>
    Nanp,

    /// <summary>E.164 phone number (<c>+</c> and 8 to 15 digits).</summary>
    E164,

    /// <summary>Japanese phone number (leading 0, hyphens or a bracketed area code, half- or full-width).</summary>
    JapanesePhone,

    /// <summary>US Social Security number.</summary>
    Ssn,

    /// <summary>Payment card number.</summary>
    Card,

    /// <summary>IPv4 address.</summary>
    Ipv4,

    /// <summary>IPv6 address.</summary>
    Ipv6,

    /// <summary>IBAN.</summary>
    Iban,

    /// <summary>Japanese My Number.</summary>
    MyNumber,
}
