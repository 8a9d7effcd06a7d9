using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>Inbound media: metadata always, the file only when the setting says so.</summary>
public sealed class MediaTests(TestStores stores) : IAsyncLifetime
{
    private readonly byte[] _photo = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7))];
    private ChannelHarness _channel = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task With_media_kept_the_file_is_fetched_through_Graphs_media_endpoint_and_stored_beside_the_message()
    {
        _channel = await ChannelHarness.CreateAsync(stores, more: new() { ["Channel:KeepInboundMedia"] = "true" });
        _channel.Graph.Media["1479537139650973"] = (_photo, "image/jpeg");
        await _channel.StartWorkerAsync();

        await DeliverPhotoAsync();

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("media_files") == 1, "the photo is stored");
        var stored = Assert.Single(await _channel.Db.RowsAsync("SELECT f.content, f.mime_type, f.media_id FROM media_files f JOIN messages m ON m.id = f.message_id WHERE m.type = 'image'"));
        Assert.Equal(_photo, (byte[])stored[0]!);
        Assert.Equal(["image/jpeg", "1479537139650973"], stored[1..]);
    }

    [Fact]
    public async Task A_media_URL_outside_Metas_hosts_is_never_sent_the_token_and_only_the_metadata_is_kept()
    {
        _channel = await ChannelHarness.CreateAsync(stores, more: new() { ["Channel:KeepInboundMedia"] = "true" });
        _channel.Graph.Media["1479537139650973"] = (_photo, "image/jpeg");
        // The same server under another name: to the Worker, a host that is neither Meta's nor the configured Graph address.
        _channel.Graph.MediaUrlHost = "localhost";
        await _channel.StartWorkerAsync();

        await DeliverPhotoAsync();

        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.MediaRequests.IsEmpty), "Graph is asked where the file is");
        await _channel.QuiescentAsync();
        Assert.Empty(_channel.Graph.MediaDownloads);
        Assert.Equal(0, await _channel.Db.CountAsync("media_files"));
        Assert.Contains("not on Meta's media hosts", _channel.Worker!.Output);
    }

    [Fact]
    public async Task By_default_only_the_metadata_is_kept_and_Graphs_media_endpoint_is_not_called()
    {
        _channel = await ChannelHarness.CreateAsync(stores);
        _channel.Graph.Media["1479537139650973"] = (_photo, "image/jpeg");
        await _channel.StartWorkerAsync();

        await DeliverPhotoAsync();
        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "the turn is answered");

        Assert.Empty(_channel.Graph.MediaRequests);
        Assert.Equal(0, await _channel.Db.CountAsync("media_files"));
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "type = 'image' AND payload->'image'->>'mime_type' = 'image/jpeg'"));
    }

    private Task DeliverPhotoAsync() => _channel.DeliverAsync(MetaPayloads.Message(_channel.PhoneNumberId, ChannelHarness.Customer, MetaPayloads.NewWamid(), new JsonObject
    {
        ["type"] = "image",
        ["image"] = new JsonObject { ["id"] = "1479537139650973", ["mime_type"] = "image/jpeg", ["sha256"] = "ignored-by-webhooks", ["caption"] = "The broken lid" },
    }));

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
    }
}
