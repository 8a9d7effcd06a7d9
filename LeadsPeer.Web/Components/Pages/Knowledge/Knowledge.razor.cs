using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Live;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.Live;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Knowledge;

public partial class Knowledge
{
    private List<KnowledgeDocumentView>? _documents;
    private List<FaqView> _faqs = [];
    private bool _dragging;

    private long MaxFileBytes => Limits.Value.MaxFileBytes;

    protected override Task OnInitializedAsync() => LoadAsync();

    /// <summary>Indexing progress of the organisation's documents, shown as it happens.</summary>
    protected override bool Concerns(LiveEvent liveEvent) => liveEvent.Type == LiveEventTypes.DocumentProgress;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        if (!Member.Can(Permission.ManageKnowledge))
        {
            return;
        }

        var documents = await KnowledgeBase.RunAsync(k => k.ListDocumentsAsync(null, KnowledgeService.MaxPageSize, CancellationToken.None));
        var faqs = await KnowledgeBase.RunAsync(k => k.ListFaqsAsync(null, KnowledgeService.MaxPageSize, CancellationToken.None));
        _documents = documents.Succeeded ? [.. documents.Value!.Items] : [];
        _faqs = faqs.Succeeded ? [.. faqs.Value!.Items] : [];
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _dragging = false;
        foreach (var file in e.GetMultipleFiles(maximumFileCount: 20))
        {
            if (file.Size > MaxFileBytes)
            {
                Snackbar.Add($"{file.Name} is larger than {MaxFileBytes / (1024 * 1024)} MB: split it or compress its images, then upload it again.", Severity.Warning);
                continue;
            }

            byte[] content;
            try
            {
                await using var stream = file.OpenReadStream(MaxFileBytes);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                content = buffer.ToArray();
            }
            catch (IOException)
            {
                Snackbar.Add($"{file.Name} could not be read from your browser: check your connection and try again.", Severity.Error);
                continue;
            }

            var outcome = await KnowledgeBase.RunAsync(k => k.UploadAsync(file.Name, content, CancellationToken.None));
            Snackbar.Report(outcome, _ => $"{file.Name} uploaded: it is being indexed.", about: file.Name);
        }

        await LoadAsync();
    }

    private async Task ReindexAsync(KnowledgeDocumentView document)
    {
        var outcome = await KnowledgeBase.RunAsync(k => k.ReindexAsync(document.Id, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(Guid id, string? name)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete from the knowledge?",
            name is null ? "The agent will no longer answer from this FAQ entry." : $"The agent will no longer answer from {name}. Answers already sent keep their sources.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var outcome = name is null ? await KnowledgeBase.RunAsync(k => k.DeleteFaqAsync(id, CancellationToken.None)) : await KnowledgeBase.RunAsync(k => k.DeleteDocumentAsync(id, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
        }

        await LoadAsync();
    }

    private async Task<string?> SaveFaqAsync((Guid? Id, string Question, string Answer) faq)
    {
        var outcome = faq.Id is { } id
            ? await KnowledgeBase.RunAsync(k => k.UpdateFaqAsync(id, faq.Question, faq.Answer, CancellationToken.None))
            : await KnowledgeBase.RunAsync(k => k.CreateFaqAsync(faq.Question, faq.Answer, CancellationToken.None));
        await LoadAsync();
        return outcome.Succeeded ? null : outcome.Error!.Words();
    }
}
