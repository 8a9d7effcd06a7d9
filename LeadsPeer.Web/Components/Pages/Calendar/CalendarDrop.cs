namespace LeadsPeer.Web.Components.Pages.Calendar;

/// <summary>A booking dragged to a quarter hour of a staff member's day (the day as yyyy-MM-dd, the time as HH:mm, in the business's zone).</summary>
public sealed record CalendarDrop(Guid BookingId, string Reference, string Date, string Time, Guid StaffId);
