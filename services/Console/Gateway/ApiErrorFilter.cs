using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Kiota.Abstractions;

namespace Trust.Platform.Console.Gateway;

/// <summary>
/// Answers an API refusal the page did not handle itself: a 404 (another school's or trust's record, which the services
/// never confirm exists) and a 403 are the console's own 404 page; a 401 (the token expired or was revoked) ends the
/// session and asks the person to sign in again.
/// </summary>
public sealed class ApiErrorFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not ApiException { ResponseStatusCode: var status } || executed.ExceptionHandled)
        {
            return;
        }

        if (status is StatusCodes.Status404NotFound or StatusCodes.Status403Forbidden)
        {
            executed.ExceptionHandled = true;
            executed.Result = new NotFoundResult();
        }
        else if (status == StatusCodes.Status401Unauthorized)
        {
            executed.ExceptionHandled = true;
            await context.HttpContext.SignOutAsync();
            executed.Result = new RedirectToPageResult("/SignIn/Index", new { returnUrl = context.HttpContext.Request.Path.Value });
        }
    }
}
