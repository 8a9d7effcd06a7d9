// Knowledge and agent benchmarks and evaluation (see the README):
//   evaluate <manuals folder>  retrieval hits and answer/decline decisions on the eShopSupport manuals, then the bakery's messages
//   evaluate --bakery          only the bakery's messages (our own handbook; held-out and tuning halves)
//   index <manuals folder>     indexing rate of the whole pipeline against the raw embedding model
//   retrieval                  search latency and recall@10 at 100,000 chunks among 1,000,000 others
//   reply                      customer message → reply sent, through the Api and Worker processes
//   fairness                   one business's reply delay while another's 500 customers write at once
//   ordering                   200 customers confirm the last 50 items at once: orders, oversold, Confirm → answer latency
//   catalog                    10,000-row CSV import through the Api, typed item search p50/p95
//   slots                      free times over 14 days, 10 staff, 10,000 bookings, through the Api: p50/p95
//   booking                    50 customers confirm the same time at once: one booking, Confirm → answer latency
using System.Globalization;
using LeadsPeer.Knowledge.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var command = args.FirstOrDefault();
var rest = args.Skip(1).ToArray();
return command switch
{
    "evaluate" when rest.Contains("--bakery") => await Evaluation.RunBakeryAsync(),
    "evaluate" => await Evaluation.RunAsync(rest),
    "index" => await IndexingBenchmark.RunAsync(rest),
    "retrieval" => await RetrievalBenchmark.RunAsync(rest),
    "reply" => await ReplyBenchmark.RunAsync(rest),
    "fairness" => await FairnessBenchmark.RunAsync(rest),
    "ordering" => await OrderingBenchmark.RunAsync(rest),
    "catalog" => await CatalogBenchmark.RunAsync(rest),
    "slots" => await SlotsBenchmark.RunAsync(rest),
    "booking" => await BookingBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: LeadsPeer.Knowledge.Benchmarks evaluate|index <folder of the eShopSupport manuals> | retrieval | reply | fairness | ordering | catalog | slots | booking");
    return 2;
}
