using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Catalog;

public partial class Catalog
{
    private List<ProductView>? _products;
    private string? _next;
    private string? _search;
    private string? _currency;
    private bool _manage;
    private bool _editing;
    private ProductView? _edited;
    private string? _importTitle;
    private List<(string Line, string Message)>? _importErrors;

    protected override async Task OnInitializedAsync()
    {
        _manage = Member.Can(Permission.ManageCatalog);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var page = await CatalogBook.RunAsync(c => c.ListAsync(_search, null, null, CancellationToken.None));
        _products = page.Succeeded ? [.. page.Value!.Items] : [];
        _next = page.Value?.NextCursor;
        _currency = _products.FirstOrDefault()?.Currency ?? _currency;
    }

    private async Task MoreAsync()
    {
        var page = await CatalogBook.RunAsync(c => c.ListAsync(_search, null, _next, CancellationToken.None));
        _products!.AddRange(page.Value?.Items ?? []);
        _next = page.Value?.NextCursor;
    }

    private async Task SearchAsync(string? search)
    {
        _search = search;
        await LoadAsync();
    }

    private void Edit(ProductView? product)
    {
        _edited = product;
        _editing = true;
    }

    private string? ParentSkuOf(ProductView? product) =>
        product?.ParentId is { } parent ? _products?.FirstOrDefault(p => p.Id == parent)?.Sku : null;

    private async Task<IReadOnlyDictionary<string, string>?> SaveAsync(ProductInput input)
    {
        var saved = _edited is { } product
            ? await CatalogBook.RunAsync(c => c.UpdateAsync(product.Id, input, CancellationToken.None))
            : await CatalogBook.RunAsync(c => c.CreateAsync(input, CancellationToken.None));
        if (!saved.Succeeded)
        {
            return saved.Error!.Errors?.ToDictionary(e => e.Key, e => e.Value[0]) ?? new Dictionary<string, string> { [""] = saved.Error.Title };
        }

        Snackbar.Add($"{saved.Value!.Sku} saved.", Severity.Success);
        _editing = false;
        await LoadAsync();
        return null;
    }

    private async Task SetAvailableAsync(ProductView product, bool available)
    {
        var outcome = await CatalogBook.RunAsync(c => c.SetAvailableAsync(product.Id, available, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(ProductView product)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete {product.Sku}?",
            "Customers can no longer order it, and its options go with it. Orders already placed keep it as they were.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var outcome = await CatalogBook.RunAsync(c => c.DeleteAsync(product.Id, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
        }

        await LoadAsync();
    }

    private async Task ImportAsync(InputFileChangeEventArgs e)
    {
        var file = e.File;

        if (file.Size > CatalogImport.MaxBytes)
        {
            (_importTitle, _importErrors) = ($"{file.Name} is larger than {CatalogImport.MaxBytes / (1024 * 1024)} MB.", null);
            return;
        }

        string csv;
        try
        {
            await using var stream = file.OpenReadStream(CatalogImport.MaxBytes);
            using var reader = new StreamReader(stream);
            csv = await reader.ReadToEndAsync();
        }
        catch (IOException)
        {
            (_importTitle, _importErrors) = ($"{file.Name} could not be read from your browser: check your connection and try again.", null);
            return;
        }

        var outcome = await Import.RunAsync(i => i.ImportAsync(csv, CancellationToken.None));
        if (outcome.Succeeded)
        {
            (_importTitle, _importErrors) = ($"{file.Name}: {outcome.Value!.Created} products added, {outcome.Value.Updated} changed.", null);
        }
        else
        {
            _importTitle = outcome.Error!.Title;
            _importErrors = [.. (outcome.Error.Errors ?? new Dictionary<string, string[]>()).SelectMany(error => error.Value.Select(message => (error.Key, message)))];
        }

        await LoadAsync();
    }
}
