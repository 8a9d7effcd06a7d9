// Meta's Embedded Signup in the browser: Facebook's JS SDK opens Meta's dialog; the business picks
// or creates its WhatsApp Business Account and number; Meta answers with a one-time code (FB.login)
// and, in a window message, the ids it chose. Both go back to the server, which exchanges the
// code at once (codes are short-lived) — the browser never sees a token.
let sdk;

function loadSdk(appId, version) {
    sdk ??= new Promise((resolve, reject) => {
        window.fbAsyncInit = () => {
            FB.init({ appId, autoLogAppEvents: true, xfbml: false, version });
            resolve();
        };
        const script = document.createElement("script");
        script.src = "https://connect.facebook.net/en_US/sdk.js";
        script.async = true;
        script.crossOrigin = "anonymous";
        script.onerror = () => { sdk = undefined; reject(new Error("Facebook's SDK could not be loaded.")); };
        document.head.appendChild(script);
    });
    return sdk;
}

export async function start(dotnet, appId, configId, version) {
    try {
        await loadSdk(appId, version);
    } catch (e) {
        await dotnet.invokeMethodAsync("Failed", e.message + " Check the connection or an ad blocker, then try again.");
        return;
    }

    const metaOrigins = ["https://www.facebook.com", "https://web.facebook.com"];
    let ids;
    let code;
    const finish = async () => {
        if (code === undefined || ids === undefined) return;
        window.removeEventListener("message", onMessage);
        if (code && ids.waba_id && ids.phone_number_id) {
            await dotnet.invokeMethodAsync("Completed", code, ids.waba_id, ids.phone_number_id);
        } else {
            await dotnet.invokeMethodAsync("Cancelled");
        }
    };
    const onMessage = event => {
        // Meta's own frames only, by exact origin: one merely ending in facebook.com (evilfacebook.com) is not Meta.
        if (!metaOrigins.includes(event.origin)) return;
        let message;
        // facebook.com frames post other messages too, not all JSON: those are not ours to read.
        try { message = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch { return; }
        if (message?.type !== "WA_EMBEDDED_SIGNUP") return;
        ids = message.event === "FINISH" ? message.data ?? {} : {};
        finish();
    };
    window.addEventListener("message", onMessage);

    FB.login(response => {
        code = response?.authResponse?.code ?? null;
        // Closing the dialog sends no window message: without a code there is nothing to wait for.
        if (!code) ids ??= {};
        finish();
    }, {
        config_id: configId,
        response_type: "code",
        override_default_response_type: true,
        extras: { setup: {}, sessionInfoVersion: "3" },
    });
}
