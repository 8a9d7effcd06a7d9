using LeadsPeer.Testing;

// One PostgreSQL and one Redis server for this whole test assembly.
[assembly: AssemblyFixture(typeof(TestStores))]
