using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BookingReminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "customer_confirmed_at",
                table: "bookings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<int>>(
                name: "reminders_sent",
                table: "bookings",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "'{}'::integer[]");

            migrationBuilder.AddColumn<List<int>>(
                name: "reminder_minutes",
                table: "booking_settings",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "'{1440}'::integer[]");

            migrationBuilder.AddColumn<string>(
                name: "reminder_template_language",
                table: "booking_settings",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reminder_template_name",
                table: "booking_settings",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reminder_template_parameters",
                table: "booking_settings",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "customer_confirmed_at",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "reminders_sent",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "reminder_minutes",
                table: "booking_settings");

            migrationBuilder.DropColumn(
                name: "reminder_template_language",
                table: "booking_settings");

            migrationBuilder.DropColumn(
                name: "reminder_template_name",
                table: "booking_settings");

            migrationBuilder.DropColumn(
                name: "reminder_template_parameters",
                table: "booking_settings");
        }
    }
}
