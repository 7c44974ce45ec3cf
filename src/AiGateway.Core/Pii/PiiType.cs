namespace AiGateway.Core.Pii;

/// <summary>A kind of personal data a detector finds.</summary>
public enum PiiType
{
    /// <summary>E-mail address.</summary>
    Email,

    /// <summary>Phone number: NANP, E.164 or Japanese, half- or full-width digits.</summary>
    Phone,

    /// <summary>US Social Security number with a valid area, group and serial.</summary>
    Ssn,

    /// <summary>Payment card number passing the Luhn check.</summary>
    CreditCard,

    /// <summary>IPv4 or IPv6 address.</summary>
    IpAddress,

    /// <summary>IBAN passing the ISO 7064 mod-97 check.</summary>
    Iban,

    /// <summary>Japanese Individual Number (My Number) with a valid check digit.</summary>
    MyNumber,

    /// <summary>A match of a user pattern.</summary>
    Custom,
}

/// <summary>One finding: where it is and what it is.</summary>
/// <param name="Start">Index of the first character.</param>
/// <param name="Length">Length in characters.</param>
/// <param name="Type">The kind of data.</param>
/// <param name="Label">The type's name as configured (e.g. <c>email</c> or a user pattern's type).</param>
public readonly record struct PiiMatch(int Start, int Length, PiiType Type, string Label);
