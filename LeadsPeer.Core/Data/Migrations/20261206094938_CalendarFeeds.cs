using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CalendarFeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "feed_token_hash",
                table: "booking_staff",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "feed_shows_customers",
                table: "booking_settings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_booking_staff_feed_token_hash",
                table: "booking_staff",
                column: "feed_token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_booking_staff_feed_token_hash",
                table: "booking_staff");

            migrationBuilder.DropColumn(
                name: "feed_token_hash",
                table: "booking_staff");

            migrationBuilder.DropColumn(
                name: "feed_shows_customers",
                table: "booking_settings");
        }
    }
}
