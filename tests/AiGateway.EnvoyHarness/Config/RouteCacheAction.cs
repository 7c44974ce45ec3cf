namespace AiGateway.EnvoyHarness.Config;

/// <summary>ext_proc <c>route_cache_action</c>; <c>disable_clear_route_cache: true</c> maps to <see cref="Retain"/>.</summary>
internal enum RouteCacheAction
{
    Default = 0,
    Clear = 1,
    Retain = 2,
}
