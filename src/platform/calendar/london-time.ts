// Instants as people in England read them: "15 July 2025 at 1:05 pm", in London time whatever the server's zone.
// The hour cycle is named: with `hour12: true`, Node 20's ICU writes midday as "0:00 pm" for en-GB.
export const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12',
});
