namespace Trust.Platform.Console.SignIn;

/// <summary>How people sign in: a real OpenID Connect issuer, or (Development only) the demo users.</summary>
public enum SignInMode
{
    Oidc,
    Demo,
}

public static class SignInModes
{
    extension(SignInMode)
    {
        /// <summary>
        /// Exactly one way in. Demo tokens beside a real issuer would let anyone on the machine be anyone, so both
        /// together refuse to start, as the services do with Auth:EnableDevTokens and Auth:Authority.
        /// </summary>
        public static SignInMode Decide(ConsoleOptions options, IHostEnvironment environment)
        {
            var oidc = !string.IsNullOrWhiteSpace(options.Oidc.Authority);
            if (oidc && options.EnableDemoSignIn)
            {
                throw new InvalidOperationException(
                    "Console:EnableDemoSignIn is true while Console:Oidc:Authority names an identity provider. The demo sign-in " +
                    "must never run beside real sign-in: remove Console:EnableDemoSignIn (or Console:Oidc:Authority for a local run).");
            }

            if (oidc)
            {
                if (string.IsNullOrWhiteSpace(options.Oidc.ClientId))
                {
                    throw new InvalidOperationException("Console:Oidc:ClientId is required with Console:Oidc:Authority.");
                }

                return SignInMode.Oidc;
            }

            if (!options.EnableDemoSignIn)
            {
                throw new InvalidOperationException(
                    "No sign-in is configured: set Console:Oidc:Authority and Console:Oidc:ClientId (or, in Development, Console:EnableDemoSignIn).");
            }

            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"Console:EnableDemoSignIn is for local demos and tests only; the environment is {environment.EnvironmentName}. Configure Console:Oidc instead.");
            }

            if (options.DevTokenUrl is null)
            {
                throw new InvalidOperationException("Console:DevTokenUrl (Policy's own address, where the development minter answers) is required with Console:EnableDemoSignIn.");
            }

            return SignInMode.Demo;
        }
    }
}

/// <summary>The sign-in this process decided at start-up (a class, so it can be a singleton service).</summary>
public sealed record ConsoleSignIn(SignInMode Mode);
