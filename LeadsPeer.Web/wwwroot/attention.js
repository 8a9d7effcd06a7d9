// Getting an operator's attention when a customer starts waiting for a person: the number waiting
// in the tab's title (kept there as pages change the title) and a short chime.
let waiting = 0;
const badge = /^\(\d+\+?\) /;

function apply() {
    const title = document.title.replace(badge, "");
    const wanted = waiting > 0 ? `(${waiting > 99 ? "99+" : waiting}) ${title}` : title;
    if (document.title !== wanted) document.title = wanted;
}

new MutationObserver(apply).observe(document.head, { childList: true, characterData: true, subtree: true });

export function setWaiting(count) {
    waiting = count;
    apply();
}

let audio;
// Returns at once: the tones play once the browser lets the page make sound. Awaiting the
// context's resume() here would keep the server's call open for as long as the browser withholds
// sound (in a tab nobody has clicked yet, for ever), until the call timed out on the server.
export function chime() {
    try {
        // Before the person's first click or key press the browser refuses sound: nothing to try.
        if (navigator.userActivation && !navigator.userActivation.hasBeenActive) return;
        audio ??= new AudioContext();
        audio.resume().then(play, e => console.warn("Leads Peer: the waiting chime could not play.", e));
    } catch (e) {
        // No sound (no audio device, or not allowed yet): the title badge still shows.
        console.warn("Leads Peer: the waiting chime could not play.", e);
    }
}

function play() {
    for (const [frequency, start] of [[880, 0], [1320, 0.15]]) {
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.frequency.value = frequency;
        volume.gain.setValueAtTime(0.15, audio.currentTime + start);
        volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.3);
        tone.connect(volume).connect(audio.destination);
        tone.start(audio.currentTime + start);
        tone.stop(audio.currentTime + start + 0.3);
    }
}
