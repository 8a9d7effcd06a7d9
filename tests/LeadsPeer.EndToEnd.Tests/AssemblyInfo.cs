using Xunit.Sdk;
using Xunit.v3;

// Each test class here starts the whole product (AppHost, PostgreSQL, Redis, three projects,
// the local model): two at once on a 2-core machine starve the browser tests' live updates.
[assembly: Parallelization(Mode = ParallelMode.None)]
