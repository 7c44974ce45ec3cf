namespace AiGateway.Core.Pii.Detection;

/// <summary>A candidate a pattern's rule accepted: a finding before overlaps are resolved.</summary>
/// <param name="Pattern">The pattern that found it.</param>
/// <param name="Start">Index of the first character.</param>
/// <param name="Length">Length in characters.</param>
internal readonly record struct PiiCandidate(PiiPattern Pattern, int Start, int Length);
