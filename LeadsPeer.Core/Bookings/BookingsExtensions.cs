using LeadsPeer.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Bookings;

public static class BookingsExtensions
{
    /// <summary>Booking hours, services, staff and bookings: one set of services whichever host books.</summary>
    public static IServiceCollection AddBookings(this IServiceCollection services)
    {
        services.AddScoped<BookingHoursService>();
        services.AddScoped<BookingSetupService>();
        services.AddScoped<BookingBook>();
        services.AddScoped<BookingUpdates>();
        services.AddScoped<BookingReminders>();
        services.AddScoped<CalendarFeeds>();
        services.AddScoped<TeamCalendar>();
        services.AddScoped<BookingQueries>();
        return services;
    }

    /// <summary>The booking flows (a new booking, the customer's own bookings), for the host that runs the guided-flow engine (the Worker).</summary>
    public static IServiceCollection AddBookingFlow(this IServiceCollection services)
    {
        // "my booking" before "book a…": a customer asking about their booking is not starting a new one.
        services.AddScoped<IGuidedFlow, MyBookingsFlow>();
        services.AddScoped<IGuidedFlow, BookingFlow>();
        return services;
    }
}
